from django.urls import path

from naikkelas.market import views

app_name = "market"

urlpatterns = [
    path("usaha/<uuid:business_id>/pasar/", views.business_market, name="business"),
    path("saya/usaha/<uuid:business_id>/pasar/", views.my_business_market, name="my_business"),
    path("pasar/produk/<uuid:product_id>/", views.product_page, name="product"),
    path("saya/produk/<uuid:product_id>/", views.my_product_page, name="my_product"),
    path("pasar/pemasaran/<uuid:listing_id>/", views.listing_update, name="listing_update"),
    path("pasar/foto/<uuid:photo_id>/<slug:size>", views.photo, name="photo"),
    path("pasar/afiliasi/", views.affiliate_list, name="affiliates"),
    path("pasar/afiliasi/<uuid:affiliate_id>/", views.affiliate_detail, name="affiliate"),
    path("saya/afiliasi/", views.my_affiliate, name="my_affiliate"),
    path("pasar/laporan/", views.market_report, name="report"),
    path("katalog/", views.catalogue_list, name="catalogue"),
    path("katalog/<uuid:product_id>/", views.catalogue_detail, name="catalogue_detail"),
]
